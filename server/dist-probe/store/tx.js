export {};
//# sourceMappingURL=tx.js.map