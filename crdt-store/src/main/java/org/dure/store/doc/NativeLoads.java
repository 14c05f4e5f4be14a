package org.dure.store.doc;

/**
 * Names a stored document while Automerge's native code loads it: if that crashes the process, the
 * next start knows which document did it and marks it damaged instead of crashing on it again (the
 * sync package's in-flight records do this).
 */
@FunctionalInterface
public interface NativeLoads {

  /** Records that native code is about to load {@code docId}; running the result ends it. */
  Runnable loading(String docId);

  /** Records nothing. */
  NativeLoads NONE = docId -> () -> {};
}
