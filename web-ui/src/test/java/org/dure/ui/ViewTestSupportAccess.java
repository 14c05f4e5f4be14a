package org.dure.ui;

import org.dure.node.Attachments;

/** The view tests' node's attachments, for view tests in other packages. */
public final class ViewTestSupportAccess {
  private ViewTestSupportAccess() {}

  public static Attachments attachments() {
    return ViewTestSupport.currentAttachments();
  }
}
