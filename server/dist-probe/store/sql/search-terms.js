/**
 * The words of what an agent typed into transcript search: letters and digits only, at most
 * eight. Each dialect turns them into its own prefix query (all words required), so operators
 * typed by the agent are never interpreted and "track" finds "tracking" in both.
 */
export function searchTerms(input) {
    return input.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
}
//# sourceMappingURL=search-terms.js.map