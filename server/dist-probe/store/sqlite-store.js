/** The relay's Store on the embedded SQLite database, in the relay's process (open-store.ts says why not on a thread). */
import { RelayStore } from "../usecases/relay-store.js";
import { SqliteDatabase } from "./sqlite/sqlite-database.js";
export class SqliteStore extends RelayStore {
    /** `path` is a file path or ':memory:'. */
    constructor(path) {
        super(new SqliteDatabase(path));
    }
    static pathFromUrl(url) {
        return SqliteDatabase.pathFromUrl(url);
    }
}
//# sourceMappingURL=sqlite-store.js.map