// Data for the supervisor's "what may they do and why" screen.
import { db } from "~/db/db.server";
import { defineAbilityFor, packAbility } from "./ability";
import { loadAbilityFacts } from "./ability-facts.server";
import { capabilities, describeRules, whyNothing } from "./explain";

/** People matching a name or e-mail fragment, for the picker (at most 50). */
export async function findPeople(query: string) {
  const q = query.trim();
  return db.user.findMany({
    where: q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { email: { contains: q, mode: "insensitive" } }] } : undefined,
    orderBy: [{ role: "asc" }, { name: "asc" }],
    take: 50,
    select: { id: true, name: true, email: true, role: true },
  });
}

/** The ability a person gets on their next request, with the rules behind it. */
export async function explainUser(userId: string) {
  const person = await db.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, role: true, status: true } });
  if (!person) return null;
  const facts = await loadAbilityFacts(person.id, person.role);
  const subject = { ...person, ...facts };
  const ability = defineAbilityFor(subject);
  return {
    person,
    facts,
    nothing: whyNothing(subject),
    rules: describeRules(ability, person.id),
    capabilities: capabilities(ability, person),
    packedRuleCount: packAbility(ability).length,
  };
}
