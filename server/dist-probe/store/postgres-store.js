/** The relay's Store on PostgreSQL, for several instances sharing one database. */
import { RelayStore } from "../usecases/relay-store.js";
import { PostgresDatabase } from "./postgres/postgres-database.js";
export class PostgresStore extends RelayStore {
    /** `postgres://user@host:5432/db` (optionally `?schema=name`); `schema` in options wins. */
    static fromUrl(url, options = {}) {
        return new PostgresStore(PostgresDatabase.fromUrl(url, options));
    }
}
//# sourceMappingURL=postgres-store.js.map