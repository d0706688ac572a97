/*
  Warnings:

  - A unique constraint covering the columns `[idempotencyKey]` on the table `payouts` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "artifacts" ADD COLUMN     "capturedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "billing_settings" ADD COLUMN     "autoReloadArmed" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "autoReloadLastAttemptAt" TIMESTAMP(3),
ADD COLUMN     "autoReloadLastError" TEXT,
ADD COLUMN     "paymentMethodBrand" TEXT,
ADD COLUMN     "paymentMethodExpMonth" INTEGER,
ADD COLUMN     "paymentMethodExpYear" INTEGER,
ADD COLUMN     "paymentMethodLast4" TEXT;

-- AlterTable
ALTER TABLE "payouts" ADD COLUMN     "failureReason" TEXT,
ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "method" TEXT NOT NULL DEFAULT 'manual',
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "tester_profiles" ADD COLUMN     "stripePayoutsEnabled" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "payouts_idempotencyKey_key" ON "payouts"("idempotencyKey");
