// Public surface of @eyeball/db.
export {};
