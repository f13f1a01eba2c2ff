import Foundation
/// The daily bulletin as a document model, built once and rendered to HTML (and PDF),
/// so the renderings can never disagree.
public struct BulletinDocument: Sendable, Equatable {
    /// A table with a header row; `emphasised` cells stand out (a nonzero case count, never a zero).
    public struct Table: Sendable, Equatable {
        public var columns: [String]
        public var rows: [[String]]
        public var emphasised: Set<Cell> = []

        /// A cell by row and column (the row label is column 0).
        public struct Cell: Hashable, Sendable {
            public var row: Int, column: Int
            public init(row: Int, column: Int) { self.row = row; self.column = column }
        }

        /// Figures (cells starting with a digit) are right-aligned by both renderers.
        public static func isFigure(_ cell: String) -> Bool { cell.first?.isASCII == true && cell.first!.isNumber }
    }

    /// A line chart over days: of shares (0…1, ticks in percent) or of counts.
    public struct Chart: Sendable, Equatable {
        public var title: String
        /// One label per point (`2/8`).
        public var labels: [String]
        public var series: [Series]
        /// The value axis spans `minimum` … `maximum` in four equal steps.
        public var minimum: Double = 0
        public var maximum: Double = 1
        /// Shares, shown in percent; else counts.
        public var percent = true

        /// The axis ticks, bottom to top.
        public var ticks: [Double] { (0...4).map { minimum + (maximum - minimum) * Double($0) / 4 } }

        /// Where `v` sits on the axis, 0 at the bottom and 1 at the top (values outside are clamped).
        public func position(_ v: Double) -> Double {
            maximum > minimum ? (min(max(v, minimum), maximum) - minimum) / (maximum - minimum) : 0
        }

        /// A tick's label on the value axis (percent or count).
    public func tickLabel(_ tick: Double) -> String {
            percent ? "\(Int((tick * 100).rounded()))%" : "\(Int(tick.rounded()))"
        }

        /// Whether point `i` gets its label: at most about 15 labels, the last always.
        public func labelled(_ i: Int) -> Bool {
            let every = max(1, (labels.count + 14) / 15)
            return i == labels.count - 1 || (i % every == 0 && labels.count - 1 - i >= every / 2)
        }

        /// A count axis from 0 to a round number at or above `largest`, in four steps.
        public static func countMaximum(_ largest: Double) -> Double {
            guard largest > 0 else { return 4 }
            let raw = largest / 4
            let magnitude = pow(10, floor(log10(raw)))
            let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
            return step * 4
        }

        /// One line of a chart: its name and a value per label.
    public struct Series: Sendable, Equatable {
            public var name: String
            public var values: [Double]
        }
    }

    /// What a section holds, in order: paragraphs, tables, charts, lists.
    public enum Block: Sendable, Equatable {
        case paragraph(String)
        case table(Table)
        /// A short list; `more` says how many were left out.
        case list([String], more: Int)
        case chart(Chart)
    }

    /// A numbered section of the bulletin (一、二、…) with its blocks.
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
