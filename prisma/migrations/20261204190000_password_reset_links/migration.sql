-- CreateEnum
CREATE TYPE "InvitationPurpose" AS ENUM ('invitation', 'password_reset');

-- AlterTable
ALTER TABLE "Invitation" ADD COLUMN     "purpose" "InvitationPurpose" NOT NULL DEFAULT 'invitation';

