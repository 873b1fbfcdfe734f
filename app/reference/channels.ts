// The contact channels the airline serves. Ids are stable slugs stored in
// Channel.id and used in skills ("channel:<id>").
export const CHANNELS = [
  { id: "whatsapp", name: "WhatsApp", kind: "messaging", maxConcurrentPerAgent: 3 },
  { id: "messenger", name: "Messenger", kind: "messaging", maxConcurrentPerAgent: 3 },
  { id: "wechat", name: "WeChat", kind: "messaging", maxConcurrentPerAgent: 3 },
  { id: "line", name: "LINE", kind: "messaging", maxConcurrentPerAgent: 3 },
  { id: "kakaotalk", name: "KakaoTalk", kind: "messaging", maxConcurrentPerAgent: 3 },
  { id: "apple_messages", name: "Apple Messages for Business", kind: "messaging", maxConcurrentPerAgent: 3 },
  { id: "facebook", name: "Facebook", kind: "social", maxConcurrentPerAgent: 2 },
  { id: "x", name: "X (Twitter)", kind: "social", maxConcurrentPerAgent: 2 },
  { id: "email", name: "Email", kind: "email", maxConcurrentPerAgent: 1 },
] as const;

export type ChannelId = (typeof CHANNELS)[number]["id"];

export const CHANNEL_IDS = CHANNELS.map((channel) => channel.id) as [ChannelId, ...ChannelId[]];

export function isChannelId(value: string): value is ChannelId {
  return (CHANNEL_IDS as readonly string[]).includes(value);
}

/// The ten languages the service team works in (ISO 639-1).
export const SUPPORTED_LANGUAGES = ["en", "nl", "fr", "de", "es", "it", "pt", "zh", "ja", "ko"] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];
