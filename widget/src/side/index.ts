/** The side pane: registers every wcp-* element under side/ and exports their types and events. */
export * from '../events/index.js';
export { SidePaneElement, type SideArea, type SideFlags } from './wcp-side-pane/wcp-side-pane.js';
export { CustomerSummaryElement } from './wcp-customer-summary/wcp-customer-summary.js';
export { NotesElement } from './wcp-notes/wcp-notes.js';
export { RecordsElement } from './wcp-records/wcp-records.js';
export { KnowledgeElement } from './wcp-knowledge/wcp-knowledge.js';
export { AgentScriptElement } from './wcp-agent-script/wcp-agent-script.js';
export { TranscriptSearchElement } from './wcp-transcript-search/wcp-transcript-search.js';
export { SentimentElement } from './wcp-sentiment/wcp-sentiment.js';
export { SmartAssistElement } from './wcp-smart-assist/wcp-smart-assist.js';
export { aggregateSentiment, SENTIMENT_LABELS, type SentimentLabel, type SentimentResult } from './sentiment/sentiment.js';
export { suggest, type Suggestion } from './smart-assist/suggest.js';
export { keywords } from './smart-assist/tokens.js';
