package org.dure.store.doc;

/**
 * A stored document could not be loaded. It has been quarantined: it stays on disk untouched, is
 * listed as damaged, and the rest of the store keeps working.
 */
public final class DamagedDocumentException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final String documentId;

  public DamagedDocumentException(String documentId, String reason) {
    super("Document " + documentId + " is damaged and has been quarantined: " + reason);
    this.documentId = documentId;
  }

  public String documentId() {
    return documentId;
  }
}
