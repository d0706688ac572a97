// Public surface of the tester auth service (sign-in, sessions, profile).
export * from "./tester-auth-service";
export { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password";
