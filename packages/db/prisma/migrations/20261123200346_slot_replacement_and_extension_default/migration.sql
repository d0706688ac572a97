-- AlterTable
ALTER TABLE "assignments" ADD COLUMN     "replacedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "jobs" ALTER COLUMN "allowDurationExtension" SET DEFAULT true;
