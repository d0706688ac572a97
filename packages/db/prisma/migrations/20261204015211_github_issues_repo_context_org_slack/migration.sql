-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "repoContext" JSONB;

-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "slackWebhookUrl" TEXT;

-- CreateTable
CREATE TABLE "github_issues" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "assignmentId" TEXT,
    "fingerprint" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "github_issues_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "github_issues_jobId_fingerprint_key" ON "github_issues"("jobId", "fingerprint");

-- AddForeignKey
ALTER TABLE "github_issues" ADD CONSTRAINT "github_issues_jobId_fkey" FOREIGN KEY ("jobId") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
