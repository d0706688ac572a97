// Rule-by-rule tests of the built-in extractor, plus minimum accuracy on the dev corpus and our held-out fixture.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import type { OutputSchema } from "@eyeball/core";
import { describe, expect, it } from "vitest";

import { createBuiltinExtractor, extractBuiltin } from "./index";
import { scoreValue } from "./score";

const B = (description: string) => ({ type: "boolean" as const, description });
const N = (description: string) => ({ type: "number" as const, description });
const S = (description: string, example?: unknown) => ({ type: "string" as const, description, example });
const A = (description: string) => ({ type: "array" as const, description });
const O = (description: string) => ({ type: "object" as const, description });

function run(outputSchema: OutputSchema, testerResponse: string, additionalValidationInstructions?: string) {
  return extractBuiltin({ outputSchema, testerResponse, additionalValidationInstructions });
}
function data(outputSchema: OutputSchema, testerResponse: string, instructions?: string) {
  return run(outputSchema, testerResponse, instructions).result.data;
}

describe("finality and status", () => {
  it("is final only when the last word is done", () => {
    expect(run({}, "Checked the footer. Done.").status).toBe("completed");
    expect(run({}, "Done with the cart, moving on to payment now").status).toBe("not_final");
    expect(run({}, "Checked it, the edit was undone").final).toBe(false);
  });
  it("is incomplete when a field is unanswered, and extracts data even when not final", () => {
    const schema = {
      menuWorks: B("Whether the menu opens"),
      footerWorks: B("Whether the footer links work"),
    };
    const done = run(schema, "The menu opens fine. Done.");
    expect(done.status).toBe("incomplete");
    expect(done.result.success).toBe(false);
    const notDone = run(schema, "The menu opens fine, still checking the footer links");
    expect(notDone.status).toBe("not_final");
    expect(notDone.result.data).toEqual({ menuWorks: true, footerWorks: null });
  });
  it("returns {} for no schema and has an async form named builtin", async () => {
    const extractor = createBuiltinExtractor();
    expect(extractor.name).toBe("builtin");
    const out = await extractor.extract({ testerResponse: "All good. done" });
    expect(out).toMatchObject({ final: true, status: "completed", result: { success: true, data: {} } });
  });
});

describe("booleans", () => {
  it("respects negation", () => {
    expect(
      data(
        { brokenImages: B("Whether any gallery images are broken") },
        "There are no broken images at all. Done.",
      ),
    ).toEqual({ brokenImages: false });
    expect(
      data(
        { loginWorks: B("Whether the tester could log in") },
        "I couldn't log in, the form just clears. Done.",
      ),
    ).toEqual({ loginWorks: false });
    expect(
      data({ appCrashed: B("Whether the app crashed") }, "The app never crashed during the run. Done."),
    ).toEqual({ appCrashed: false });
  });
  it("reads sentiment and implied answers", () => {
    expect(
      data(
        { layoutOk: B("Whether the layout works on mobile") },
        "On my phone the layout is broken, text overflows. Done.",
      ),
    ).toEqual({ layoutOk: false });
    expect(
      data(
        { orderPlaced: B("Whether the order was placed") },
        "Paid and the order went through, got confirmation #A1B2. Done.",
      ),
    ).toEqual({ orderPlaced: true });
  });
  it("lets the final account win, read against the description", () => {
    const schema = {
      eventuallySubmitted: B("Whether the tester was eventually able to submit the form"),
      submittedImmediately: B("Whether submitting worked immediately, without a reload"),
    };
    expect(
      data(schema, "At first Submit did nothing. After a reload the form submitted fine. Done."),
    ).toEqual({ eventuallySubmitted: true, submittedImmediately: false });
  });
  it("decides threshold fields from measured numbers", () => {
    expect(
      data(
        { underTwoSeconds: B("Whether the page loaded in under 2 seconds") },
        "The page loaded in 3.5s. Done.",
      ),
    ).toEqual({ underTwoSeconds: false });
  });
});

describe("numbers", () => {
  it("reads number words and digits without units", () => {
    expect(
      data({ stepCount: N("Number of steps in the wizard") }, "The wizard has seven steps. Done."),
    ).toEqual({ stepCount: 7 });
    expect(
      data(
        { notificationCount: N("How many notifications were listed") },
        "The panel lists a dozen notifications. Done.",
      ),
    ).toEqual({ notificationCount: 12 });
    expect(
      data({ reviewCount: N("Number of reviews shown") }, "It shows 4.6 stars from 1,284 reviews. Done."),
    ).toEqual({ reviewCount: 1284 });
  });
  it("reads money", () => {
    expect(
      data(
        { subtotal: N("Cart subtotal in USD") },
        "Subtotal $1,299.00, tax $103.92, total $1,402.92. Done.",
      ),
    ).toEqual({ subtotal: 1299 });
    expect(data({ shippingCost: N("Shipping cost in USD") }, "Shipping was free. Done.")).toEqual({
      shippingCost: 0,
    });
  });
  it("converts to the unit the description names", () => {
    expect(
      data(
        { delaySeconds: N("Time until playback starts, in seconds") },
        "Playback started after about 800 ms. Done.",
      ),
    ).toEqual({ delaySeconds: 0.8 });
    expect(
      data({ waitMinutes: N("Wait time in minutes") }, "The wait time showed 90 seconds. Done."),
    ).toEqual({ waitMinutes: 1.5 });
    expect(data({ sizeMb: N("File size in MB") }, "The exported file size is 850 KB. Done.")).toEqual({
      sizeMb: 0.85,
    });
  });
  it("follows corrections", () => {
    expect(
      data({ price: N("Price of the plan in USD") }, "The plan price was $19.99, sorry, $17.99. Done."),
    ).toEqual({ price: 17.99 });
  });
  it("is null when no number is given", () => {
    expect(
      data(
        { videoLengthSeconds: N("Length of the video in seconds") },
        "The video plays fine, didn't check how long it is. Done.",
      ),
    ).toEqual({ videoLengthSeconds: null });
  });
});

describe("strings", () => {
  it("quotes messages as the site showed them, after any correction", () => {
    expect(
      data(
        { errorMessage: S("Error message shown") },
        "Login failed with 'Invalid password. Try again.' twice. Done.",
      ),
    ).toEqual({ errorMessage: "Invalid password. Try again." });
    expect(
      data(
        { errorMessage: S("Error shown for an empty field") },
        "It says 'Requried' — sorry, typo, the actual text is 'Required'. Done.",
      ),
    ).toEqual({ errorMessage: "Required" });
  });
  it("returns None when the description asks for it and nothing was found", () => {
    expect(
      data(
        { consoleErrors: S("JavaScript errors in the console, or 'None' if there were none") },
        "No errors in the console at all. Done.",
      ),
    ).toEqual({ consoleErrors: "None" });
  });
  it("reads codes and names", () => {
    expect(
      data(
        { confirmationNumber: S("Booking confirmation number") },
        "Booked it, confirmation code is QX-88412. Done.",
      ),
    ).toEqual({ confirmationNumber: "QX-88412" });
    expect(
      data(
        { testedDevice: S("Device used for the test", "iPhone 12") },
        "Tested on a Pixel 7 in Chrome. Done.",
      ),
    ).toEqual({ testedDevice: "Pixel 7" });
  });
  it("is null when the value was not noted", () => {
    expect(
      data(
        { confirmationNumber: S("Booking confirmation number") },
        "The confirmation screen appeared but I closed the tab before writing down the number. Done.",
      ),
    ).toEqual({ confirmationNumber: null });
  });
});

describe("arrays", () => {
  it("splits a list of findings into items in the tester's words", () => {
    const out = data(
      { issues: A("Problems found on the page") },
      "Issues: the Save button stays disabled; the avatar shows the old photo. Done.",
    );
    expect(out.issues).toEqual(["the Save button stays disabled", "the avatar shows the old photo"]);
  });
  it("splits enumerations", () => {
    const out = data(
      { exportFormats: A("Export formats offered") },
      "The export menu offers CSV, XLSX and PDF. Done.",
    );
    expect(out.exportFormats).toEqual(["CSV", "XLSX", "PDF"]);
  });
  it("gives [] for an explicit none and null when not addressed", () => {
    expect(
      data(
        { brokenLinks: A("Links that lead to an error page") },
        "Clicked all 18 links, no broken links. Done.",
      ),
    ).toEqual({ brokenLinks: [] });
    expect(
      data(
        { layoutIssues: A("Layout problems on small screens") },
        "I only looked at the menu, not the rest of the layout. Done.",
      ),
    ).toEqual({ layoutIssues: null });
  });
});

describe("objects", () => {
  it("reads keys named in the description", () => {
    const schema = {
      viewports: O(
        "Whether the layout looked right at each size, with boolean keys mobile, tablet and desktop",
      ),
    };
    expect(
      data(
        schema,
        "Desktop looks great. Tablet is fine too. Mobile: the header covers the button, which is broken. Done.",
      ),
    ).toEqual({ viewports: { mobile: false, tablet: true, desktop: true } });
    const times = { pageTimes: O("Load time in seconds per page, with number keys home and docs") };
    expect(data(times, "Home 1.2s, Docs 900 ms. Done.")).toEqual({ pageTimes: { home: 1.2, docs: 0.9 } });
  });
  it("reads addresses", () => {
    const schema = { address: O("Address entered, with string keys street, city and postcode") };
    expect(data(schema, "Entered 221B Baker Street, London, NW1 6XE. Done.")).toEqual({
      address: { street: "221B Baker Street", city: "London", postcode: "NW1 6XE" },
    });
  });
});

describe("additional validation instructions", () => {
  const schema = { orderPlaced: B("Whether the order was placed") };
  const rule =
    "If the tester mentions payment errors, mark orderPlaced as false even if they eventually succeeded.";
  it("override the plain reading when their condition holds", () => {
    expect(
      data(schema, "First try gave 'Payment declined'. Retried and the order went through. Done.", rule),
    ).toEqual({ orderPlaced: false });
  });
  it("change nothing when their condition does not hold", () => {
    expect(data(schema, "Paid with Apple Pay and the order went through. Done.", rule)).toEqual({
      orderPlaced: true,
    });
  });
  it("handle negated conditions, only-if thresholds and aggregations", () => {
    const saved = { prefsSaved: B("Whether cookie choices persisted after reload") };
    expect(
      data(
        saved,
        "Clicked Reject, banner closed. Done.",
        "If the tester did not reload the page, set prefsSaved to false.",
      ),
    ).toEqual({ prefsSaved: false });
    const perf = { performanceOk: B("Whether performance is acceptable") };
    expect(
      data(
        perf,
        "Home 1.2s, Docs 3.6s. Done.",
        "Treat performance as acceptable only if every page loaded in under 3 seconds.",
      ),
    ).toEqual({ performanceOk: false });
    const load = { loadTimeSeconds: N("Load time in seconds") };
    expect(
      data(
        load,
        "Three loads: 2.1s, 3.4s and 2.8s. Done.",
        "Report loadTimeSeconds using the slowest measurement.",
      ),
    ).toEqual({ loadTimeSeconds: 3.4 });
  });
});

describe("null for topics mentioned but not answered", () => {
  it("leaves fields the tester says they did not test as null", () => {
    const schema = {
      chartsRender: B("Whether all charts render"),
      dataMatchesExport: B("Whether the numbers match the CSV export"),
    };
    expect(data(schema, "All charts render. Didn't get to the CSV export comparison. Done.")).toEqual({
      chartsRender: true,
      dataMatchesExport: null,
    });
    expect(
      data(
        { darkModeWorks: B("Whether dark mode applies to the whole app") },
        "Billing page: invoices and PDFs all work. Done.",
      ),
    ).toEqual({ darkModeWorks: null });
  });
});

describe("generalised rules", () => {
  it("does not read a closing remark about the whole account as a verdict on a field", () => {
    const button = { buttonWorks: B("Did the button work?") };
    expect(
      data(button, "Did the button work: yes, it does.\nThat covers everything I was asked to check. Done."),
    ).toEqual({ buttonWorks: true });
    expect(
      data(button, "I clicked it. Then the cookie banner covers the button and nothing happens. Done."),
    ).toEqual({
      buttonWorks: false,
    });
  });

  it("reads more cues of an untested topic as null", () => {
    const wallet = { googleWalletWorks: B("Whether adding the ticket to Google Wallet worked") };
    expect(data(wallet, "Apple wallet works. No android phone so google wallet is untested. Done.")).toEqual({
      googleWalletWorks: null,
    });
    const timer = { sleepTimerWorks: B("Whether the sleep timer stops playback when it runs out") };
    expect(
      data(
        timer,
        "Set the sleep timer to 5 minutes but never saw whether it actually stopped playback. Done.",
      ),
    ).toEqual({ sleepTimerWorks: null });
    const email = { alertEmailReceived: B("Whether the first alert email arrived") };
    expect(data(email, "Alert created. Now waiting on the first alert email")).toEqual({
      alertEmailReceived: null,
    });
    const panel = { historyPanelShown: B("Whether a history panel lists the edits") };
    expect(data(panel, "Crop works. The history panel is next on my list")).toEqual({
      historyPanelShown: null,
    });
  });
  it("extends a cue that only points back ('couldn't check that one') to its whole sentence", () => {
    const sms = { reminderSmsReceived: B("Whether a reminder SMS arrived before the booking") };
    expect(
      data(
        sms,
        "The booking is tomorrow so the reminder SMS wouldn't have gone out; couldn't check that one. Done.",
      ),
    ).toEqual({ reminderSmsReceived: null });
  });
  it("limits a description's negation to the words right after it", () => {
    const buffer = {
      bufferRespected: B("Whether the buffer was respected, i.e. no slot is offered right after a meeting"),
    };
    expect(
      data(buffer, "Buffer looks right: the next slot offered is 1:45, so the gap is respected. Done."),
    ).toEqual({ bufferRespected: true });
  });
  it("lets the last verdict in the field's own words win, at clause level", () => {
    const fee = { feeCharged: B("Whether a cancellation fee was charged") };
    expect(
      data(
        fee,
        "Cancelled the ride. The app warned 'You may be charged a fee' but nothing was charged, so no fee in the end. Done.",
      ),
    ).toEqual({ feeCharged: false });
    const kept = { codeKept: B("Whether code was kept after closing and reopening the tab") };
    expect(data(kept, "Closed the tab and came back, it failed to keep anything. Done.")).toEqual({
      codeKept: false,
    });
  });
  it("reads a word's opposite as the field's negation", () => {
    const dob = { dobRejected: B("Whether the form rejected an under-18 date of birth") };
    expect(data(dob, "Entered a 2012 date of birth and the form accepted it. Done.")).toEqual({
      dobRejected: false,
    });
  });
  it("uses a sentence that belongs to another field only when this field has none of its own", () => {
    const schema = {
      textToolWorks: B("Whether adding text worked"),
      redEyeToolWorks: B("Whether the red-eye tool worked"),
    };
    expect(data(schema, "Text tool works fine. Red-eye tool isn't working at all. Done.")).toEqual({
      textToolWorks: true,
      redEyeToolWorks: false,
    });
  });
  it("takes a plain statement of the topic as true and a plain retry outcome as success", () => {
    expect(
      data({ walkingOption: B("Whether a walking route is offered") }, "Walk gives a 38 min route. Done."),
    ).toEqual({
      walkingOption: true,
    });
    expect(
      data(
        { publishWorked: B("Whether the tester was eventually able to publish") },
        "Hit Publish and got a spinner that never ended. Clicked Publish again and the article went live. Done.",
      ),
    ).toEqual({ publishWorked: true });
  });
  it("reads more number forms", () => {
    expect(
      data({ latencyMs: N("Delivery time in milliseconds") }, "It arrived in roughly half a second. Done."),
    ).toEqual({
      latencyMs: 500,
    });
    expect(
      data({ durationMinutes: N("Travel time in minutes") }, "The route takes 1 hr 5 min. Done."),
    ).toEqual({
      durationMinutes: 65,
    });
    expect(data({ price: N("Asking price in EUR") }, "Listed at €429.500 here. Done.")).toEqual({
      price: 429500,
    });
    expect(
      data({ quizScore: N("Quiz score, as a percentage") }, "Quiz: got 8 out of 10 right. Done."),
    ).toEqual({
      quizScore: 80,
    });
    expect(
      data({ rating: N("Average review rating, out of 5") }, "Rating 4.2 / 5 from 312 reviews. Done."),
    ).toEqual({ rating: 4.2 });
    expect(
      data(
        { holdMinutes: N("How long seats are held, in minutes") },
        "A countdown 'Held for 10:00' appeared. Done.",
      ),
    ).toEqual({
      holdMinutes: 10,
    });
    expect(
      data({ totalPaid: N("Total paid, in USD") }, "Tickets were $45 each; total ended up $115.00. Done."),
    ).toEqual({
      totalPaid: 115,
    });
    expect(
      data(
        { maxGuests: N("Largest party size selectable") },
        "The guests dropdown goes up to 8 guests. Done.",
      ),
    ).toEqual({
      maxGuests: 8,
    });
  });
  it("applies 'Only … if' instructions and failure conditions met by any failure report", () => {
    const del = { deleteWorks: B("Whether deleting a message removed it for both users") };
    expect(
      data(
        del,
        "Deleted it, it disappeared for me. Done.",
        "Only count deleteWorks as true if the other user confirmed it vanished.",
      ),
    ).toEqual({ deleteWorks: false });
    const res = { reservationConfirmed: B("Whether the reservation was confirmed") };
    expect(
      data(
        res,
        "First payment attempt timed out, the second one worked and I got the confirmation. Done.",
        "If any payment step failed, set reservationConfirmed to false.",
      ),
    ).toEqual({ reservationConfirmed: false });
  });
  it("lists items where the field's word starts them, cut at a dash, and follows a corrected list", () => {
    expect(
      data(
        { addOns: A("Optional add-ons the tester selected") },
        "Picked a £250 excess, added breakdown cover and legal protection. Done.",
      ),
    ).toEqual({ addOns: ["breakdown cover", "legal protection"] });
    expect(
      data(
        { availabilityDays: A("Weekdays of availability shown for the host") },
        "Host page shows availability Mon, Tue, Thu — Friday greyed out. Done.",
      ),
    ).toEqual({ availabilityDays: ["Mon", "Tue", "Thu"] });
    expect(
      data({ seatsSelected: A("Seats the tester selected") }, "Map loaded. Picked F11 and F12. Done."),
    ).toEqual({
      seatsSelected: ["F11", "F12"],
    });
    expect(
      data(
        { modes: A("Transport modes offered as tabs") },
        "Tabs: Car, Transit, Walk, Bike. Actually there's no Bike tab — it's just Car, Transit and Walk. Done.",
      ),
    ).toEqual({ modes: ["Car", "Transit", "Walk"] });
  });
  it("reads two-key span objects: ranges and from/to", () => {
    expect(
      data(
        { salaryRange: O("Salary range, with number keys min and max in GBP") },
        "The role shows £55k–£70k. Done.",
      ),
    ).toEqual({ salaryRange: { min: 55000, max: 70000 } });
    expect(
      data(
        { route: O("The ride's endpoints, with string keys pickup and dropoff") },
        "Requested a ride from Kings Cross to Shoreditch. Done.",
      ),
    ).toEqual({ route: { pickup: "Kings Cross", dropoff: "Shoreditch" } });
  });
});

describe("generalised rules", () => {
  it("voids a field when a cue covers the whole sentence: a label, a pro-form or a pending state", () => {
    expect(
      data(
        { receiptEmailed: B("Whether a receipt was emailed after paying") },
        "Paid fine. Receipt email — I didn't check my email. Done.",
      ),
    ).toEqual({ receiptEmailed: null });
    expect(
      data(
        { chartsImported: B("Whether charts in the file were imported") },
        "Imported the file. It has no charts in it so I can't say anything there. Done.",
      ),
    ).toEqual({ chartsImported: null });
    expect(
      data(
        { sizeInStock: B("Whether the chosen size was in stock") },
        "Picked size M, the stock badge is still spinning",
      ),
    ).toEqual({ sizeInStock: null });
  });
  it("voids a field when the untested part names an aspect no answer covers", () => {
    expect(
      data(
        { downloadKeepsValues: B("Whether the downloaded PDF kept the filled-in values") },
        "Download button is broken - clicking it does nothing at all, so I couldn't check the saved values. Done.",
      ),
    ).toEqual({ downloadKeepsValues: null });
  });
  it("reads opposites per word, not per loose synonym", () => {
    expect(
      data(
        { privacyToggle: B("Whether there is a setting to hide activity from friends") },
        "privacy: a 'Hide my activity from friends' toggle exists under Privacy. Done.",
      ),
    ).toEqual({ privacyToggle: true });
  });
  it("leaves a clause that names only another field to that field", () => {
    expect(
      data(
        {
          formulasPreserved: B("Whether formulas still calculate after import"),
          formattingPreserved: B("Whether number formatting was kept after import"),
        },
        "All sheets came through and formulas still calculate, but the currency formatting was lost. Done.",
      ),
    ).toEqual({ formulasPreserved: true, formattingPreserved: false });
  });
  it("follows a pronoun to the field and keeps negation over 'or'", () => {
    expect(
      data(
        { transcriptEmailed: B("Whether the chat transcript was emailed after the chat ended") },
        "Ended the chat and ticked 'Email me a transcript'. Not once did it arrive, not even in spam. Done.",
      ),
    ).toEqual({ transcriptEmailed: false });
    expect(
      data(
        { viewOnlyEnforced: B("Whether a guest with view-only access was prevented from editing") },
        "Shared as view-only. Guest couldn't drag cards or edit titles, all greyed out. Done.",
      ),
    ).toEqual({ viewOnlyEnforced: true });
  });
  it("ends a sentence after a quoted sentence", () => {
    expect(
      data(
        { unsubscribeWorks: B("Whether unsubscribing stopped marketing emails") },
        "The page says 'You've been unsubscribed.' Two days later I still got 2 marketing emails, which isn't great. Done.",
      ),
    ).toEqual({ unsubscribeWorks: false });
  });
  it("reads hyphenated units, decimal commas, compound durations and Fahrenheit", () => {
    expect(
      data(
        { maxMinutes: N("Maximum recording length, in minutes") },
        "It stopped at the 60-minute limit. Done.",
      ),
    ).toEqual({ maxMinutes: 60 });
    expect(
      data({ pages: N("Number of pages in the document") }, "Opened the 212-page manual. Done."),
    ).toEqual({ pages: 212 });
    expect(
      data({ refund: N("Refund amount shown, in EUR") }, "The refund preview says €39,95 back. Done."),
    ).toEqual({ refund: 39.95 });
    expect(data({ sleepHours: N("Total sleep, in hours") }, "total sleep 7h 15m. Done.")).toEqual({
      sleepHours: 7.25,
    });
    expect(
      data({ temperature: N("Current temperature, in Celsius") }, "The widget shows 68°F. Done."),
    ).toEqual({ temperature: 20 });
  });
  it("prefers a measurement in the field's unit, totals, corrections and updated counts", () => {
    expect(
      data(
        { refreshMinutes: N("How often the widget refreshes, in minutes") },
        "It changes every 900 seconds, checked that three times. Done.",
      ),
    ).toEqual({ refreshMinutes: 15 });
    expect(
      data(
        { totalWithFees: N("Total charged with the fee, in USD") },
        "Ticked 'Add $1.75 to cover fees' on a fifty dollar gift and the summary said $51.75. Done.",
      ),
    ).toEqual({ totalWithFees: 51.75 });
    expect(
      data(
        { tracksAdded: N("Number of tracks added") },
        "Added 18 tracks, well 17, one was greyed out. Done.",
      ),
    ).toEqual({ tracksAdded: 17 });
    expect(
      data(
        { markers: N("Number of hotel markers on the map") },
        "42 markers at first. The distance filter knocked it down to 27 markers. Done.",
      ),
    ).toEqual({ markers: 27 });
  });
  it("picks the option a description offers", () => {
    expect(
      data(
        { labelType: S("How the return label was provided, e.g. printable PDF or QR code") },
        "It gave me a QR code to show at the counter. Done.",
      ),
    ).toEqual({ labelType: "QR code" });
    expect(
      data(
        { replySource: S("Whether the first reply came from a bot or a human agent") },
        "Got a reply from 'Sam' who was clearly a real person. Done.",
      ),
    ).toEqual({ replySource: "human agent" });
  });
  it("splits short two-item lists", () => {
    expect(data({ exportFormats: A("Export formats offered") }, "export: CSV and GPX. Done.")).toEqual({
      exportFormats: ["CSV", "GPX"],
    });
    expect(
      data({ frequencies: A("Email frequency options") }, "Frequency radio: Weekly / Monthly. Done."),
    ).toEqual({
      frequencies: ["Weekly", "Monthly"],
    });
  });
  it("reads negated and only-if conditions in instructions", () => {
    const lookup = { lookupWorks: B("Whether the postcode lookup found the address") };
    expect(
      data(
        lookup,
        "Postcode lookup returned 14 addresses, picked mine. Done.",
        "If the lookup returned no addresses, mark lookupWorks as false.",
      ),
    ).toEqual({ lookupWorks: true });
    expect(
      data(
        { restoreWorks: B("Whether an archived card could be restored") },
        "Restore put it back, but into the first column instead of where it came from. Done.",
        "restoreWorks is only true if the restored card returned to its original column.",
      ),
    ).toEqual({ restoreWorks: false });
    expect(
      data(
        { annotationsSaved: B("Whether annotations were still there after reopening the document") },
        "Added a sticky note. Closed the viewer, reopened the same PDF — still there. Done.",
        "If the tester did not reopen the document, set annotationsSaved to false.",
      ),
    ).toEqual({ annotationsSaved: true });
  });
});

interface LabelledCase {
  id: string;
  outputSchema?: OutputSchema;
  testerResponse: string;
  additionalValidationInstructions?: string;
  expected: { final: boolean; status: string; data: Record<string, unknown> };
}

/** Field and status accuracy on a labelled corpus, scored like shared/extraction/grade.mjs. */
function accuracy(file: string): { fields: number; status: number } {
  const cases = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledCase);
  let fieldSum = 0;
  let fieldCount = 0;
  let statusOk = 0;
  for (const c of cases) {
    const out = extractBuiltin(c);
    if (out.status === c.expected.status) statusOk++;
    for (const [key, want] of Object.entries(c.expected.data)) {
      fieldSum += scoreValue(want, out.result.data[key]);
      fieldCount++;
    }
  }
  return { fields: fieldSum / fieldCount, status: statusOk / cases.length };
}

const here = dirname(fileURLToPath(import.meta.url));
const devCorpus = resolve(here, "../../../../../shared/extraction/dev.jsonl");

describe("corpora", () => {
  it.skipIf(!existsSync(devCorpus))(
    `dev.jsonl reaches 97% fields and 97% status (skipped when ${devCorpus} is absent)`,
    () => {
      const acc = accuracy(devCorpus);
      expect(acc.fields).toBeGreaterThanOrEqual(0.97);
      expect(acc.status).toBeGreaterThanOrEqual(0.97);
    },
  );
  it("our held-out fixture stays above 96% fields and 95% status", () => {
    const acc = accuracy(resolve(here, "fixtures/heldout.jsonl"));
    expect(acc.fields).toBeGreaterThanOrEqual(0.96);
    expect(acc.status).toBeGreaterThanOrEqual(0.95);
  });
  // Written independently of this code; thresholds sit a few points below the measured figures so regressions fail.
  it("blind set B stays above 87% fields and 93% status", () => {
    const acc = accuracy(resolve(here, "../../test/fixtures/blind-b.jsonl"));
    expect(acc.fields).toBeGreaterThanOrEqual(0.87);
    expect(acc.status).toBeGreaterThanOrEqual(0.93);
  });
  it("blind set C stays above 88% fields and 90% status", () => {
    const acc = accuracy(resolve(here, "../../test/fixtures/blind-c.jsonl"));
    expect(acc.fields).toBeGreaterThanOrEqual(0.88);
    expect(acc.status).toBeGreaterThanOrEqual(0.9);
  });
  // Blind set D is only ever graded (never read or tuned on): it measures how well the rules generalise.
  const blindD = resolve(here, "../../test/fixtures/blind-d.jsonl");
  it.skipIf(!existsSync(blindD))("blind set D stays above 74% fields and 79% status", () => {
    const acc = accuracy(blindD);
    expect(acc.fields).toBeGreaterThanOrEqual(0.74);
    expect(acc.status).toBeGreaterThanOrEqual(0.79);
  });
});
