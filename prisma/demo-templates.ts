// Reply templates of the demo data, in English and Dutch (the demo
// volunteer's languages). A real operation writes its own on /templates.
export const DEMO_REPLY_TEMPLATES = [
  {
    name: "Thanks, we are on it",
    language: "en",
    body: "Hello {customerName}, thank you for your message. I am looking into it now and will reply here as soon as I can. Kind regards, {agentName}",
    disclosesBooking: false,
  },
  {
    name: "Rebooking options",
    language: "en",
    body: "Hello {customerName}, I checked booking {bookingReference}. Flight {flightNumber} on {departureDate} is affected. You can rebook free of charge to another flight within 14 days, or ask for a refund. Which would you prefer? Kind regards, {agentName}",
    disclosesBooking: true,
  },
  {
    name: "Meal voucher sent",
    language: "en",
    body: "Hello {customerName}, I have sent you a meal voucher. You will find it in your email within a few minutes. Kind regards, {agentName}",
    disclosesBooking: false,
  },
  {
    name: "Refund requested",
    language: "en",
    body: "Hello {customerName}, I have requested the refund for booking {bookingReference}. You will receive it on your original payment method within 7 working days. Kind regards, {agentName}",
    disclosesBooking: true,
  },
  {
    name: "Bedankt, we kijken ernaar",
    language: "nl",
    body: "Hallo {customerName}, bedankt voor uw bericht. Ik kijk er nu naar en antwoord hier zo snel mogelijk. Met vriendelijke groet, {agentName}",
    disclosesBooking: false,
  },
  {
    name: "Omboekingsmogelijkheden",
    language: "nl",
    body: "Hallo {customerName}, ik heb boeking {bookingReference} bekeken. Vlucht {flightNumber} op {departureDate} is getroffen. U kunt kosteloos omboeken naar een andere vlucht binnen 14 dagen, of om terugbetaling vragen. Wat heeft uw voorkeur? Met vriendelijke groet, {agentName}",
    disclosesBooking: true,
  },
] as const;
