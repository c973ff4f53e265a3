import { describe, expect, it } from "vitest";
import { classifyQuestion } from "../../../../api/sessions/question-style";

describe("classifyQuestion", () => {
  it.each([
    "What else?",
    "How did that feel?",
    "What would success look like for you?",
    "Who else is affected by this?",
    "Tell me about the last time it happened.",
    "Describe what a good outcome looks like.",
    "Walk me through that meeting.",
    "Could you tell me more about that?",
    "So, what do you notice when you say that out loud?",
    "I'm curious what you noticed.",
  ])("leaves the open question %j alone", (question) => {
    expect(classifyQuestion(question)).toEqual({ style: "open" });
  });

  it.each([
    ["Did you talk to your manager?", "What conversations have you had about this so far?"],
    ["Is this the first time it happened?", "What happened next?"],
    ["Are you worried about it?", "How are you feeling about this?"],
    ["Do you want to stay in the team?", "What would you like to happen?"],
    ["Will that work?", "What would success look like here?"],
    ["Was it hard, right?", "What are your thoughts on this so far?"],
    ["Should she know?", "What do you know so far, and what is still unclear?"],
    ["You talked to her?", "What conversations have you had about this so far?"],
  ])("flags the closed question %j and suggests %j", (question, suggestion) => {
    const result = classifyQuestion(question);
    expect(result.style).toBe("closed");
    expect(result.suggestion).toBe(suggestion);
    expect(result.hint).toMatch(/what.*how/i);
  });

  it.each([
    ["Have you tried delegating it?", "What have you tried so far, and what did you notice?"],
    ["Have you considered a mentor?", "What options have you considered so far?"],
    ["Why don't you just say no?", "What options do you see from here?"],
    ["Why not escalate it?", "What options do you see from here?"],
    ["Wouldn't it be better to wait a week?", "What would make the biggest difference here?"],
    ["Could you talk to HR?", "What options do you see from here?"],
    ["How about asking for feedback?", "What might you try next?"],
    ["You should escalate this.", "What options do you see from here?"],
    ["I think you should push back.", "What options do you see from here?"],
  ])("recognises %j as advice in disguise", (question, suggestion) => {
    expect(classifyQuestion(question)).toMatchObject({ style: "advice", suggestion });
  });

  it.each([
    ["Why did you say yes to the project?", "What led you to say yes to the project?"],
    ["Why do you think he left?", "What makes you think he left?"],
    ["Why is that important to you?", "What makes that important to you?"],
    ["Why was it so hard?", "What made it so hard?"],
    ["Why is it taking so long?", "What do you think is behind that?"],
    ["How come you stayed?", "What do you think is behind that?"],
  ])("marks %j as a why question with the softer %j", (question, suggestion) => {
    expect(classifyQuestion(question)).toMatchObject({ style: "why", suggestion });
  });

  it("keeps the asker's capitalisation in a softened why", () => {
    expect(classifyQuestion("Why did you email Sam on Friday?").suggestion).toBe("What led you to email Sam on Friday?");
  });

  it("judges several questions in one note by the one that most needs a nudge", () => {
    expect(classifyQuestion("What do you want? Have you considered asking?").style).toBe("advice");
    expect(classifyQuestion("I hear you. Did you tell anyone?").style).toBe("closed");
  });

  it("reads curly apostrophes and extra spaces like straight ones", () => {
    expect(classifyQuestion("  Why   don\u2019t you   ask  ").style).toBe("advice");
  });
});
