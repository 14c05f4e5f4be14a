package org.dure.store.sync;

/**
 * Why a change is not taken: the rule it breaks. {@code authorKnew} says whether its author could
 * tell before signing (the rule was judged on the document as the author saw it, or binds a field
 * to the signer): an author that sends such a change itself is penalised; a peer relaying it is
 * not, nor is an author refused by a rule that reads this node's own view (two members may briefly
 * disagree about roles).
 *
 * @param rule the rule, in words, for the log and the user ("only the owner changes moderators")
 * @param authorKnew whether the author could tell it broke the rule
 */
public record Refusal(String rule, boolean authorKnew) {

  /** A rule the author could tell it broke. */
  public static Refusal knowingly(String rule) {
    return new Refusal(rule, true);
  }

  /** A rule judged on this node's view, which the author may not share yet. */
  public static Refusal unknowingly(String rule) {
    return new Refusal(rule, false);
  }
}
