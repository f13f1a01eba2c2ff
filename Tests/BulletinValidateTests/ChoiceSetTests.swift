import BulletinCore
import Testing

/// A cell's bytes matched against a choice set: each label as typed, each code in any ASCII case, and
/// nothing else (a prefix, a longer text, a label of another set, a blank).
struct ChoiceSetTests {
    static let sets: [ChoiceSet] = [.category, .ownership, .status, .personType, .gender, .location, .health, .observation,
                                    .parentRole, .contactMethod, .mood, .study, .inspectionKind]

    func match(_ set: ChoiceSet, _ text: String) -> Int? {
        Array(text.utf8).withUnsafeBufferPointer { set.match(bytes: $0) }
    }

    @Test func everyLabelAndCodeMatchesItsChoice() {
        for set in Self.sets {
            for (i, choice) in set.choices.enumerated() {
                #expect(match(set, choice.label) == i, "\(set.name): \(choice.label)")
                #expect(match(set, choice.code) == i && match(set, choice.code.uppercased()) == i, "\(set.name): \(choice.code)")
                #expect(match(set, choice.label + "的") == nil && match(set, String(choice.label.dropLast())) != i)
            }
            #expect(match(set, "") == nil && match(set, "其它无关文字") == nil)
        }
        #expect(match(.gender, ChoiceSet.health.choices[0].label) == nil)
    }
}
