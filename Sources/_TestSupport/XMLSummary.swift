import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Every element of an XML document with its attributes and full text content; parsing fails on
/// malformed XML.
public final class XMLSummary: NSObject, XMLParserDelegate {
    /// One element: its name, attributes and the text of everything inside it.
    public struct Element {
        public var name: String
        public var attributes: [String: String]
        public var text: String
    }

    /// Every element, in document order.
    public private(set) var elements: [Element] = []
    private var open: [Int] = []

    override private init() {}

    /// Parses `text`; throws the parser's error for malformed XML.
    public static func parse(_ text: String) throws -> XMLSummary {
        let parser = XMLParser(data: Data(text.utf8))
        let summary = XMLSummary()
        parser.delegate = summary
        guard parser.parse() else {
            throw parser.parserError
                ?? NSError(domain: "XMLSummary", code: 1, userInfo: [NSLocalizedDescriptionKey: "malformed XML"])
        }
        return summary
    }

    /// The elements whose `class` attribute lists `name`.
    public func elements(class name: String) -> [Element] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(name)) }
    }

    /// The elements named `name`.
    public func elements(name: String) -> [Element] { elements.filter { $0.name == name } }

    public func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: elementName, attributes: attributes, text: ""))
        open.append(elements.count - 1)
    }

    public func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        for index in open { elements[index].text += string }
    }
}
