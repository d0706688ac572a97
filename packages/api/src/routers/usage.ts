// usage.*: the organisation's jobs, spend and turnaround over time.
import { router } from "../trpc";

export const usageRouter = router({});
