/**
 * Attachments in the UI: the upload in the editor ({@link org.dure.ui.attach.AttachmentUpload}),
 * fetching a page's attachments when it is shown ({@link org.dure.ui.attach.PageAttachments}), the
 * thumbnails and the checks before an image is shown ({@link org.dure.ui.attach.Thumbnails}), and
 * the settings ({@link org.dure.ui.attach.AttachmentSettings}). The route that serves them is
 * {@code org.dure.app.AttachmentRoute}.
 */
package org.dure.ui.attach;
