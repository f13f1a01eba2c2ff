/// The daily bulletin as a document model, built once and rendered to HTML (and PDF),
/// so the renderings can never disagree.
public struct BulletinDocument: Sendable, Equatable {
    /// A table with a header row; `emphasised` rows stand out (cases).
    public struct Table: Sendable, Equatable {
        public var columns: [String]
        public var rows: [[String]]
        public var emphasised: Set<Int> = []

        /// Figures (cells starting with a digit) are right-aligned by both renderers.
        public static func isFigure(_ cell: String) -> Bool { cell.first?.isASCII == true && cell.first!.isNumber }
    }

    /// A line chart of shares (0…1) over days.
    public struct Chart: Sendable, Equatable {
        public var title: String
        /// One label per point (`2/8`).
        public var labels: [String]
        public var series: [Series]
        /// The bottom of the value axis: the chart spans `minimum` … 1 in four equal steps.
        public var minimum: Double = 0

        /// The axis ticks, bottom to top.
        public var ticks: [Double] { (0...4).map { minimum + (1 - minimum) * Double($0) / 4 } }

        public struct Series: Sendable, Equatable {
            public var name: String
            public var values: [Double]
        }
    }

    public enum Block: Sendable, Equatable {
        case paragraph(String)
        case table(Table)
        /// A short list; `more` says how many were left out.
        case list([String], more: Int)
        case chart(Chart)
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
