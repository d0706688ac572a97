// The services the transports (tRPC, REST) call; the host composes them once (apps/server compose.ts).
import { type Clock } from "./clock";
import { type ApiConfig } from "./config";
import { type AccountsService, createAccountsService } from "./services/accounts";
import { type AdminService, createAdminService } from "./services/admin";
import { type ApiKeysService, createApiKeysService } from "./services/api-keys";
import { type CatalogsService, createCatalogsService } from "./services/catalogs";
import { createOrgsService, type OrgsService } from "./services/orgs";
import { createTesterAuthService, type TesterAuthService } from "./services/tester-auth";
import { type Db } from "./services/types";

/** Identity and reference data: API keys, portal accounts, tester sessions, organisations, catalogs, the operator's reads. */
export interface AccessServices {
  apiKeys: ApiKeysService;
  accounts: AccountsService;
  testerAuth: TesterAuthService;
  orgs: OrgsService;
  catalogs: CatalogsService;
  admin: AdminService;
}

/**
 * Everything a transport may reach. The job, tester and sandbox services join here when
 * `createServices(deps)` lands (the host spreads its result in next to these).
 */
export interface AppServices extends AccessServices {
  db: Db;
  clock: Clock;
  config: ApiConfig;
}

export function createAccessServices({ db, clock }: { db: Db; clock: Clock }): AccessServices {
  const apiKeys = createApiKeysService({ db, clock });
  const orgs = createOrgsService({ db, clock, apiKeys });
  return {
    apiKeys,
    accounts: createAccountsService({ db, clock, orgs }),
    testerAuth: createTesterAuthService({ db, clock }),
    orgs,
    catalogs: createCatalogsService({ db }),
    admin: createAdminService({ db }),
  };
}
