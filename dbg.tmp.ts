import { Instances, SimBrowser } from "./app/simulation/browser";
import { Metrics } from "./app/simulation/metrics";
import { signIn } from "./app/simulation/people";
const m = new Metrics();
const inst = new Instances(["http://127.0.0.1:3917"]);
const planner = new SimBrowser(inst, m);
await signIn(planner, "planner@surge.test", "surge-planner-demo");
const form = new FormData();
form.append("csrf", await planner.csrfToken());
form.append("file", new Blob(["Name,Email,Employee number,Origin,Languages,Channels\nA B,ab@x.test,E1,cabin crew,\"en:native\",\"whatsapp\"\n"], { type: "text/csv" }), "v.csv");
for (const p of ["/volunteers/import.data?index", "/volunteers/import.data"]) {
  const r = await planner.fetch("x", p, { method: "POST", body: form });
  console.log(p, r.status, r.headers.get("content-type"), (await r.text()).slice(0, 300));
}
const agent = new SimBrowser(inst, m);
await signIn(agent, "agent@surge.test", "surge-agent-demo");
const next = await agent.submit<any>("/cases/next", "/cases/next", {});
console.log(next);
if (next.redirect) {
  const id = next.redirect.split("/").pop();
  const g = await agent.json("/g", `/cases/${id}/gestures`, { intent: "give", type: "miles", amount: "500", reason: "Sorry for the disruption" }, { form: true });
  console.log(g);
}
