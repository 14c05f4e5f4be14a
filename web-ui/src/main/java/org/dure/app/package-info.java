/**
 * The runnable application: {@link org.dure.app.DureMain} (the jar's main class: options,
 * subcommands), {@link org.dure.app.DureApplication} (Spring Boot, serving the UI on 127.0.0.1
 * only), the Spring configuration that takes its beans from a {@link org.dure.node.DureNode},
 * {@code --headless}, the local API's service and the subcommands ({@link
 * org.dure.app.CommandRegistry}).
 */
package org.dure.app;
