// Anchors the exporters library until its first sources land; holds no code.
namespace sunshine {}
