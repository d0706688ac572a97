// Public surface of @eyeball/__NAME__.
export {};
