/// The daily bulletin as a document model, built once and rendered to HTML (and PDF),
/// so the renderings can never disagree.
public struct BulletinDocument: Sendable, Equatable {
    /// A table with a header row; `emphasised` rows stand out (cases).
    public struct Table: Sendable, Equatable {
        public var columns: [String]
        public var rows: [[String]]
        public var emphasised: Set<Int> = []
        /// Right-align every column but the first (figures).
        public var numeric = true
    }

    public enum Block: Sendable, Equatable {
        case paragraph(String)
        case table(Table)
        /// A short list; `more` says how many were left out.
        case list([String], more: Int)
    }

    public struct Section: Sendable, Equatable {
        public var heading: String
        public var blocks: [Block]
    }

    public var title: String
    public var issueNumber: Int
    public var date: String
    public var issuer: String
    public var sections: [Section]
    /// Data sources and the pipeline definition's version.
    public var footer: [String]
}
