-- AlterTable
ALTER TABLE "assignments" ADD COLUMN     "githubIssuesDoneAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "github_issues" ALTER COLUMN "number" DROP NOT NULL,
ALTER COLUMN "url" DROP NOT NULL;

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "slackNoticeSentAt" TIMESTAMP(3);
