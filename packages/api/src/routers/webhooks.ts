// webhooks.*: the organisation's webhook endpoints, signing secret and recent deliveries.
import { router } from "../trpc";

export const webhooksRouter = router({});
