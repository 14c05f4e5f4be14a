/** What the tests that build their own network namespaces share: commands and child processes. */
package org.dure.net.netns;
