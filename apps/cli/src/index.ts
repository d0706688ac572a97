// Public surface of @eyeball/cli.
export {};
