// The catalog a new installation starts with: job categories, participant filters, interests, equipment.

export interface CatalogSeedItem {
  slug: string;
  name: string;
  description?: string;
}

export const DEFAULT_CATEGORIES: readonly CatalogSeedItem[] = [
  { slug: "functional", name: "Functional testing", description: "Does each feature do what it should?" },
  {
    slug: "usability",
    name: "Usability",
    description: "Can a first-time user find their way and finish a task?",
  },
  {
    slug: "exploratory",
    name: "Exploratory testing",
    description: "Free exploration looking for anything broken.",
  },
  {
    slug: "regression",
    name: "Regression check",
    description: "Re-check flows that worked before a release.",
  },
  {
    slug: "signup-onboarding",
    name: "Sign-up and onboarding",
    description: "Registration, verification, first run.",
  },
  {
    slug: "checkout-payments",
    name: "Checkout and payments",
    description: "Cart, checkout and payment flows.",
  },
  {
    slug: "forms-validation",
    name: "Forms and validation",
    description: "Input handling and error messages.",
  },
  {
    slug: "accessibility",
    name: "Accessibility",
    description: "Keyboard, screen reader and contrast checks.",
  },
  { slug: "mobile-web", name: "Mobile web", description: "Behaviour on phone-sized screens and touch." },
  { slug: "content-copy", name: "Content and copy", description: "Typos, broken links, confusing wording." },
  {
    slug: "localization",
    name: "Localization",
    description: "Translations, formats and right-to-left layouts.",
  },
  { slug: "performance-perception", name: "Perceived performance", description: "Does it feel fast enough?" },
];

export const DEFAULT_FILTERS: readonly CatalogSeedItem[] = [
  { slug: "first-time-visitor", name: "First-time visitor", description: "Has never used the product." },
  { slug: "experienced-tester", name: "Experienced tester", description: "Has completed many Eyeball jobs." },
  { slug: "native-english", name: "Native English speaker" },
  { slug: "screen-reader-user", name: "Screen reader user", description: "Uses assistive technology daily." },
  { slug: "mobile-first", name: "Mostly uses a phone", description: "Does most browsing on a phone." },
  { slug: "located-us", name: "Located in the United States" },
  { slug: "located-eu", name: "Located in the European Union" },
  { slug: "developer", name: "Software developer", description: "Comfortable with developer tools." },
];

export const DEFAULT_INTERESTS: readonly CatalogSeedItem[] = [
  { slug: "e-commerce", name: "E-commerce" },
  { slug: "fintech", name: "Finance and banking" },
  { slug: "developer-tools", name: "Developer tools" },
  { slug: "gaming", name: "Gaming" },
  { slug: "health-fitness", name: "Health and fitness" },
  { slug: "travel", name: "Travel" },
  { slug: "education", name: "Education" },
  { slug: "social-media", name: "Social media" },
  { slug: "productivity", name: "Productivity" },
  { slug: "news-media", name: "News and media" },
  { slug: "food-delivery", name: "Food and delivery" },
  { slug: "real-estate", name: "Real estate" },
];

export const DEFAULT_EQUIPMENT: readonly CatalogSeedItem[] = [
  { slug: "desktop-windows", name: "Windows desktop or laptop" },
  { slug: "desktop-macos", name: "Mac desktop or laptop" },
  { slug: "desktop-linux", name: "Linux desktop or laptop" },
  { slug: "iphone", name: "iPhone" },
  { slug: "android-phone", name: "Android phone" },
  { slug: "ipad", name: "iPad" },
  { slug: "android-tablet", name: "Android tablet" },
  { slug: "large-monitor", name: "Monitor of 1920×1080 or larger" },
  { slug: "screen-reader", name: "Screen reader", description: "NVDA, JAWS, VoiceOver or TalkBack." },
  { slug: "microphone", name: "Microphone" },
  { slug: "webcam", name: "Webcam" },
];
