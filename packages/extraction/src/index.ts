// Public surface of @eyeball/extraction.
export {};
