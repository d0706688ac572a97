// Public surface of @eyeball/server.
export {};
