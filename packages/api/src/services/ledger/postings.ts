// Balanced ledger transactions: the only writer of postings, which refuses any set that does not sum to zero.
import { DomainError } from "@eyeball/core";

import { type Mode, type Tx } from "../types";
import { type AccountRef, accountId } from "./accounts";

/**
 * Sign convention: a posting's `amountMicros` is the change in its account's balance. Moving x
 * from account A to account B posts A −x and B +x, so every account's balance is the plain sum of
 * its postings: org credit, org hold and platform revenue are non-negative, and the source of
 * granted credit (platform_adjustment) runs negative by everything ever granted.
 */
export interface PostingInput {
  account: AccountRef;
  amountMicros: bigint;
}

export interface TransactionInput {
  /** e.g. credit_grant, sandbox_topup, hold_place, hold_raise, hold_release, hold_capture. */
  kind: string;
  mode: Mode;
  jobId?: string;
  assignmentId?: string;
  idempotencyKey?: string;
  memo?: string;
  postings: readonly PostingInput[];
}

/** Throws INTERNAL unless the postings are non-empty, non-zero, in the transaction's mode and sum to zero. */
export function assertBalanced(input: Pick<TransactionInput, "mode" | "postings">): void {
  if (input.postings.length < 2) {
    throw new DomainError("INTERNAL", "a ledger transaction needs at least two postings");
  }
  let sum = 0n;
  for (const posting of input.postings) {
    if (posting.amountMicros === 0n) throw new DomainError("INTERNAL", "a ledger posting cannot be zero");
    if (posting.account.mode !== input.mode) {
      // Live and test books never meet: a single crossing posting would leak sandbox money into live.
      throw new DomainError(
        "INTERNAL",
        `ledger posting to ${posting.account.key} in a ${input.mode} transaction`,
      );
    }
    sum += posting.amountMicros;
  }
  if (sum !== 0n) {
    throw new DomainError("INTERNAL", `ledger postings must sum to zero, got ${sum.toString()}`, {
      details: { sum: sum.toString() },
    });
  }
}

/** A transfer of `micros` (> 0) from one account to another, as its two postings. */
export function transfer(from: AccountRef, to: AccountRef, micros: bigint): PostingInput[] {
  return [
    { account: from, amountMicros: -micros },
    { account: to, amountMicros: micros },
  ];
}

/** Writes one balanced transaction (checked before anything is written) and returns its id. */
export async function writeTransaction(tx: Tx, input: TransactionInput): Promise<string> {
  assertBalanced(input);
  const postings = [];
  for (const posting of input.postings) {
    postings.push({ accountId: await accountId(tx, posting.account), amountMicros: posting.amountMicros });
  }
  const created = await tx.ledgerTransaction.create({
    data: {
      kind: input.kind,
      mode: input.mode,
      jobId: input.jobId ?? null,
      assignmentId: input.assignmentId ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      memo: input.memo ?? null,
      postings: { create: postings },
    },
    select: { id: true },
  });
  return created.id;
}
