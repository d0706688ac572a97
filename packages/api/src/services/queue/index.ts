// Background work: the pg-boss queue.
export { createQueue, type PgBossQueue, type QueueOptions } from "./pg-boss-queue";
