import { describe, expect, it } from "vitest";
import { fillTemplate, placeholdersIn, templateDisclosesBooking, textDisclosesBooking, unknownPlaceholders } from "./reply-templates";

const context = { customerName: "Eva de Vries", bookingReference: "K7Q2LP", flightNumber: "KL1234", departureAt: "2026-12-05T09:30:00.000Z", number: 1042, agentName: "Vera Volunteer" };

describe("fillTemplate", () => {
  it("fills every known placeholder from the case", () => {
    const filled = fillTemplate("Hello {customerName}, booking {bookingReference}, flight {flightNumber} on {departureDate}, case {caseNumber}. {agentName}", context);
    expect(filled).toEqual({ text: "Hello Eva de Vries, booking K7Q2LP, flight KL1234 on 2026-12-05, case 1042. Vera", missing: [] });
  });

  it("lists what the case lacks instead of sending blanks, and leaves unknown names alone", () => {
    const filled = fillTemplate("Flight {flightNumber} {unknownThing}", { ...context, flightNumber: null });
    expect(filled.missing).toEqual(["flightNumber"]);
    expect(filled.text).toBe("Flight {flightNumber} {unknownThing}");
  });

  it("finds placeholders and typos", () => {
    expect(placeholdersIn("{a} {b} {a}")).toEqual(["a", "b"]);
    expect(unknownPlaceholders("Hi {customerName} {custmerName}")).toEqual(["custmerName"]);
  });
});

describe("what discloses a booking", () => {
  it("is a template flagged so, or one that fills booking details in", () => {
    expect(templateDisclosesBooking({ body: "Hello {customerName}", disclosesBooking: false })).toBe(false);
    expect(templateDisclosesBooking({ body: "Hello {customerName}", disclosesBooking: true })).toBe(true);
    expect(templateDisclosesBooking({ body: "Your flight {flightNumber}", disclosesBooking: false })).toBe(true);
  });

  it("is free text naming the booking reference or flight, however it is spaced or cased", () => {
    expect(textDisclosesBooking("Your booking k7q 2lp is fine", context)).toBe(true);
    expect(textDisclosesBooking("Flight KL 1234 leaves on time", context)).toBe(true);
    expect(textDisclosesBooking("We are looking into it", context)).toBe(false);
    expect(textDisclosesBooking("anything", { bookingReference: null, flightNumber: null })).toBe(false);
  });
});
