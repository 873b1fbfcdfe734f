// Demo only: the secret the demo integration signs with when it delivers to
// the local sink (SURGE_SINK_URL), known to both like the demo intake token.
export const DEMO_WEBHOOK_SECRET = "surge-demo-webhook-secret-do-not-use-in-production";
