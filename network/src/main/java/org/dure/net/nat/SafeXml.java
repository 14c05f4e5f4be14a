package org.dure.net.nat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Parses a router's XML (device descriptions, SOAP answers) as untrusted input: a document with a
 * DOCTYPE is refused (so no entities, internal or external, are ever expanded: no XXE, no "billion
 * laughs"), nothing is fetched, and the caller has already bounded the size.
 */
final class SafeXml {
  private SafeXml() {}

  static Document parse(byte[] xml) throws PortMappingException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      b.setEntityResolver(
          (publicId, systemId) -> {
            throw new SAXException("external entity refused: " + systemId);
          });
      return b.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("XML parser lacks a security feature", e);
    } catch (SAXException | IOException e) {
      throw new PortMappingException("UPnP: malformed XML: " + e.getMessage());
    }
  }

  /** Elements named {@code localName} (any namespace) under {@code root}, in document order. */
  static List<Element> elements(Node root, String localName) {
    NodeList list =
        root instanceof Document d
            ? d.getElementsByTagNameNS("*", localName)
            : ((Element) root).getElementsByTagNameNS("*", localName);
    List<Element> out = new ArrayList<>(list.getLength());
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  /** The trimmed text of the first child element {@code localName} of {@code parent}, or null. */
  static String childText(Node parent, String localName) {
    List<Element> l = elements(parent, localName);
    return l.isEmpty() ? null : l.get(0).getTextContent().strip();
  }
}
