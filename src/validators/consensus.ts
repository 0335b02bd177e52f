// How MultiJudge combines the judges that answered. Pure math, property-tested.
//
// A judge's vote passes when its score ≥ minScore and its confidence ≥ minConfidence.
// - WeightedAverage: score and confidence are the weight-averaged scores and confidences (plain
//   averages if every weight is 0); passes when both meet the thresholds.
// - Majority: passes when more than half of the answering judges pass (one judge, one vote);
//   score and confidence are the averages over the judges on the winning side.
// - Unanimous: passes only when every configured judge answered and passed; score and confidence
//   are the minimums.
// - BestOfN: passes when at least one judge passes; score and confidence are those of the best
//   passing judge (highest score, then confidence), or of the best judge when none passes.
import { clamp01 } from "./text.ts";
import type { Validator } from "./types.ts";

export type Strategy = NonNullable<Validator["consensus"]>;

export interface Vote {
  weight: number;
  score: number;
  confidence: number;
}

export interface Thresholds {
  minScore: number;
  minConfidence: number;
}

export interface Consensus {
  passed: boolean;
  score: number;
  confidence: number;
  /** Judges whose vote passed, out of those that answered. */
  passing: number;
}

export function votePasses(v: Vote, t: Thresholds): boolean {
  return v.score >= t.minScore && v.confidence >= t.minConfidence;
}

/** Combine `votes` (the judges that answered) out of `configured` judges. */
export function combine(strategy: Strategy, votes: readonly Vote[], configured: number, t: Thresholds): Consensus {
  const passingVotes = votes.filter((v) => votePasses(v, t));
  const passing = passingVotes.length;
  if (votes.length === 0) return { passed: false, score: 0, confidence: 0, passing };
  switch (strategy) {
    case "WeightedAverage": {
      const score = weightedMean(votes, (v) => v.score);
      const confidence = weightedMean(votes, (v) => v.confidence);
      return { passed: score >= t.minScore && confidence >= t.minConfidence, score, confidence, passing };
    }
    case "Majority": {
      const passed = passing * 2 > votes.length;
      const side = passed ? passingVotes : votes.filter((v) => !votePasses(v, t));
      return { passed, score: mean(side.map((v) => v.score)), confidence: mean(side.map((v) => v.confidence)), passing };
    }
    case "Unanimous":
      return {
        passed: votes.length === configured && passing === votes.length,
        score: Math.min(...votes.map((v) => v.score)),
        confidence: Math.min(...votes.map((v) => v.confidence)),
        passing,
      };
    case "BestOfN": {
      const best = bestOf(passing > 0 ? passingVotes : votes);
      return { passed: passing > 0, score: best.score, confidence: best.confidence, passing };
    }
  }
}

function weightedMean(votes: readonly Vote[], pick: (v: Vote) => number): number {
  const total = votes.reduce((s, v) => s + v.weight, 0);
  const values = votes.map(pick);
  const raw = total > 0 ? votes.reduce((s, v) => s + v.weight * pick(v), 0) / total : mean(values);
  // Keep float rounding from leaving [min, max] of the inputs.
  return clamp01(Math.min(Math.max(...values), Math.max(Math.min(...values), raw)));
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const raw = values.reduce((s, x) => s + x, 0) / values.length;
  return clamp01(Math.min(Math.max(...values), Math.max(Math.min(...values), raw)));
}

function bestOf(votes: readonly Vote[]): Vote {
  let best = votes[0] as Vote;
  for (const v of votes) {
    if (v.score > best.score || (v.score === best.score && v.confidence > best.confidence)) best = v;
  }
  return best;
}
