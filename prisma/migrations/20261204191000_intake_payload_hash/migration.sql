-- AlterTable
ALTER TABLE "IntakeDelivery" ADD COLUMN     "payloadHash" TEXT;

