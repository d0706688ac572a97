-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "webhookSecret" TEXT;
