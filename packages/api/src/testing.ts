// Test helpers other packages' tests use (never imported by production code).
export { pngOf } from "./services/artifacts/testing/png";
export { type FixtureSite, startFixtureSite } from "./services/sandbox/testing/fixture-site";
export {
  startStripeStandIn,
  type StripeStandIn,
  type StandInRequest,
  type StandInParams,
} from "./services/stripe/testing/stripe-stand-in";
export { type ConnectStandIn, registerConnectRoutes } from "./services/stripe/testing/stand-in-connect";
export {
  registerPaymentRoutes,
  TEST_CARDS,
  type PaymentsStandIn,
  type TestCard,
} from "./services/stripe/testing/stand-in-payments";
export {
  type GithubStandIn,
  type StandInIssue,
  startGithubStandIn,
} from "./services/github/testing/github-stand-in";
export {
  type ReceivedSlackMessage,
  type SlackStandIn,
  startSlackStandIn,
} from "./services/slack/testing/slack-stand-in";
