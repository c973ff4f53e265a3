import type { QuestionStyle } from "./schemas";

export interface QuestionAssessment {
  style: QuestionStyle;
  /** A kinder, open way to ask, for closed, advice and "why" questions. */
  suggestion?: string;
  /** One short sentence on why the nudge, for the question storm board. */
  hint?: string;
}

/**
 * Classifies a question-storm question (English heuristics) so the board can nudge towards open
 * questions — the question storm is "open questions only" (built-in formats). We only nudge when a
 * pattern is clear; anything unrecognised that is not phrased as a question is left alone as "open".
 *
 * - advice: a suggestion dressed as a question ("Have you tried …", "Why don't you …",
 *   "Wouldn't it be better …", "You should …") — checked first, because these start like closed
 *   or "why" questions;
 * - why: open, but "why" can sound like a demand to justify oneself, so it gets a softer "what";
 * - open: what, how, who, where, when, which, tell me, describe, walk me through, "could you tell me …";
 * - closed: starts with an auxiliary (is, are, do, did, can, could, will, would, should, have, has,
 *   was, were, shall, may …), ends in a tag ("…, right?"), or is a statement with a question mark.
 *
 * When the text holds several questions, the one most in need of a nudge decides.
 */
export function classifyQuestion(text: string): QuestionAssessment {
  const questions = splitQuestions(text);
  let worst: QuestionAssessment = { style: "open" };
  for (const question of questions) {
    const assessment = classifyOne(question);
    if (SEVERITY[assessment.style] > SEVERITY[worst.style]) worst = assessment;
  }
  return worst;
}

const SEVERITY: Record<QuestionStyle, number> = { open: 0, why: 1, closed: 2, advice: 3 };

export const QUESTION_HINTS: Record<Exclude<QuestionStyle, "open">, string> = {
  closed: "A yes/no question closes the thinking down; “what” or “how” lets the case owner think aloud.",
  advice: "This sounds like an idea wrapped in a question. Ask what they see, and keep your idea for the ideas round.",
  why: "“Why” can sound like a request to justify. “What” or “how” keeps the curiosity without the judgement.",
};

function splitQuestions(text: string): string[] {
  const plain = text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
  const sentences = plain.split(/(?<=[.!?])\s+/).filter((s) => s !== "");
  const asked = sentences.filter((s) => s.endsWith("?"));
  return (asked.length > 0 ? asked : [plain]).map(stripLeadIn);
}

/** Drops openers that carry no meaning for the style: "So, …", "And …", "Out of curiosity, …". */
function stripLeadIn(sentence: string): string {
  let s = sentence.replace(/^["'([\s\-–—*]+/, "");
  for (;;) {
    const next = s
      .replace(/^(so|and|but|ok|okay|well|also|just|then|right|now|hmm+|out of curiosity|quick question|one more|last one)\b[\s,:;.\-–—]*/i, "")
      .replace(/^i('m| am)?\s+(just\s+)?(wonder(ing)?|curious)(\s+about)?[\s,:]*/i, "");
    if (next === s) return s;
    s = next;
  }
}

// An invitation to talk phrased with "could you": open in practice ("Could you tell me more?").
const INVITATION =
  /^(could|can|would|will) you (please )?(tell (me|us)|describe|say (a bit |a little )?more|share (a bit |a little )?more|share (with us|what|how)|walk (me|us) through|talk (me|us) through|explain|give (me|us) an example|help (me|us) understand|paint)\b/i;

const ADVICE: Array<[RegExp, string]> = [
  [/^(have|had) you (ever |already )?(tried|attempted|tested)\b/i, "What have you tried so far, and what did you notice?"],
  [/^(have|had) you (ever |already )?(considered|thought (about|of)|looked (at|into)|explored)\b/i, "What options have you considered so far?"],
  [/^did you (try|consider|think (about|of))\b/i, "What options have you considered so far?"],
  [/^why (don't|do not|didn't|did not|wouldn't|won't|can't|couldn't|not)\b/i, "What options do you see from here?"],
  [/^(wouldn't|won't|couldn't|shouldn't|don't|doesn't|isn't|aren't|can't) (it|you|that|this|they|we)\b/i, "What would make the biggest difference here?"],
  [
    /^(could|can|would|will|should|might|may) (you|we) (not )?(just |maybe |perhaps |simply )?(try|ask|talk|tell|speak|consider|go|use|set up|send|email|call|schedule|book|delegate|escalate|push back|say no|stop|start|write|block)\b/i,
    "What options do you see from here?",
  ],
  [/^(how about|what about (trying|asking|talking|telling|just|a |an )|what if you (just |simply )?(tried|asked|talked|told|said|went|stopped|started|wrote))/i, "What might you try next?"],
  [/^is it (possible|worth|an option|a good idea)\b/i, "What would make the biggest difference here?"],
  [/^(you (should|could|might|need to|must|ought to|have to|can always)|maybe you|perhaps you|i would|i'd|if i were you|my advice|try )/i, "What options do you see from here?"],
];

const OPEN =
  /^(what|how|who|whom|whose|where|when|which|in what way|to what extent|tell (me|us)|describe|say more|walk (me|us) through|talk (me|us) through|explain|imagine|suppose|help (me|us) understand)\b/i;

const CLOSED_OPENER =
  /^(is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|might|must|have|has|had|if|whether|any|isn't|aren't|wasn't|weren't|don't|doesn't|didn't|can't|couldn't|won't|wouldn't|shouldn't|haven't|hasn't|hadn't)\b/i;

/** Ideas for an open version of a closed question, by what it is about (first match wins). */
const CLOSED_TOPICS: Array<[RegExp, string]> = [
  [/\b(talk(ed)?|spoke|speak|spoken|ask(ed)?|tell|told|discuss(ed)?|mention(ed)?|raise[d]?|e-?mail(ed)?|call(ed)?|meet|met|conversations?)\b/i, "What conversations have you had about this so far?"],
  [/\b(try|tried|attempt(ed)?|test(ed)?|experiment(ed)?)\b/i, "What have you tried so far, and what did you notice?"],
  [/\b(feel|felt|feeling|upset|angry|happy|worried|frustrated|nervous|anxious|stressed|afraid|scared)\b/i, "How are you feeling about this?"],
  [/\b(want|wanted|like|prefer|hope|wish)\b/i, "What would you like to happen?"],
  [/\b(know|knew|sure|certain|clear|understand)\b/i, "What do you know so far, and what is still unclear?"],
  [/\b(plan(ned)?|going to|decide[d]?|choose|chose|options?)\b/i, "What options are you weighing up?"],
  [/\b(help(ed|ful)?|support(ed)?)\b/i, "What support would make the biggest difference?"],
  [/\b(work(ed|ing)?|succeed(ed)?|fail(ed)?|success)\b/i, "What would success look like here?"],
  [/\b(happen(ed)?)\b/i, "What happened next?"],
  [/\b(think|thought|believe|expect(ed)?)\b/i, "What do you make of it?"],
];

function classifyOne(question: string): QuestionAssessment {
  if (INVITATION.test(question)) return { style: "open" };
  for (const [pattern, suggestion] of ADVICE) {
    if (pattern.test(question)) return { style: "advice", suggestion, hint: QUESTION_HINTS.advice };
  }
  if (/^(why|how come)\b/i.test(question)) return { style: "why", suggestion: softenWhy(question), hint: QUESTION_HINTS.why };
  if (OPEN.test(question)) return { style: "open" };
  if (CLOSED_OPENER.test(question) || /,\s*(right|correct|no|yes|true|isn't it|aren't you|don't you|didn't you|ok|okay)\s*\?$/i.test(question)) {
    return closed(question);
  }
  // Advice without a question form: "I think you should talk to HR."
  if (/\b(you (should|need to|must|ought to)|why not)\b/i.test(question)) {
    return { style: "advice", suggestion: "What options do you see from here?", hint: QUESTION_HINTS.advice };
  }
  // "You talked to her?" — a statement asked as a question still wants a yes or no.
  if (question.endsWith("?")) return closed(question);
  return { style: "open" };
}

function closed(question: string): QuestionAssessment {
  const body = question.replace(/^\S+\s*/, "");
  const topic = CLOSED_TOPICS.find(([pattern]) => pattern.test(body));
  return { style: "closed", suggestion: topic?.[1] ?? "What are your thoughts on this so far?", hint: QUESTION_HINTS.closed };
}

/** Keeps the asker's own words where the grammar allows ("Why did you say yes?" → "What led you to say yes?"). */
function softenWhy(question: string): string {
  const rest = (m: RegExpMatchArray, i: number) => (m[i] ?? "").replace(/[\s?!.]+$/, "");
  const didYou = /^why did you (.+)$/i.exec(question);
  if (didYou) return `What led you to ${rest(didYou, 1)}?`;
  const doYou = /^why do you (think|feel|believe|say|want|need|like|prefer|see|expect)\b(.*)$/i.exec(question);
  if (doYou) return `What makes you ${doYou[1]!.toLowerCase()}${rest(doYou, 2)}?`;
  const isThat = /^why (is|was) (that|this|it) (.+)$/i.exec(question);
  if (isThat && !/^\w+ing\b/i.test(isThat[3]!)) {
    return `What ${isThat[1]!.toLowerCase() === "is" ? "makes" : "made"} ${isThat[2]!.toLowerCase()} ${rest(isThat, 3)}?`;
  }
  return "What do you think is behind that?";
}
