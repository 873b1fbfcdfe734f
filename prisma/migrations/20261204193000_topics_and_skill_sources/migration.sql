-- Topics with the skill each needs, skills from enrolment, and the proficiency of a language skill.

-- AlterEnum
ALTER TYPE "SkillSource" ADD VALUE 'enrolment';

-- AlterTable
ALTER TABLE "UserSkill" ADD COLUMN     "proficiency" "Proficiency";

-- CreateTable
CREATE TABLE "Topic" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "skillId" TEXT,

    CONSTRAINT "Topic_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Topic" ADD CONSTRAINT "Topic_skillId_fkey" FOREIGN KEY ("skillId") REFERENCES "Skill"("id") ON DELETE SET NULL ON UPDATE CASCADE;

