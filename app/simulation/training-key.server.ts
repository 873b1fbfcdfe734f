// What a diligent volunteer knows after reading the modules: the answers to
// each required English volunteer module's quiz, in the order they open.
import { loadTrainingCatalog } from "~/training/modules.server";
import type { QuizKey } from "./people";

export async function requiredModuleAnswers(): Promise<QuizKey[]> {
  const catalog = await loadTrainingCatalog();
  return catalog.modules
    .filter((m) => m.language === "en" && m.roles.includes("volunteer") && m.required)
    .sort((a, b) => a.order - b.order)
    .map((m) => ({ moduleId: m.id, answers: Object.fromEntries(m.quiz.questions.map((q) => [`answer.${q.id}`, q.correct])) }));
}
