"""Does a model generate language, images, audio or video? From Epoch AI's domain and task
words, for the Commission's indicative criterion (guidelines C(2025) 5045, para. 17: "it can
generate language (whether in the form of text or audio), text-to-image or text-to-video").

Tasks, when known, decide: they are more specific than domains ("Speech" covers both speech
synthesis and transcription, "Video" both generation and description). Without tasks, a
"Language" or "Image generation" domain is taken as generative; "Multimodal", "Video",
"Speech", "Audio" and "3D modeling" leave the answer unknown; any other domain (Vision, Games,
Biology, Robotics...) is not generative in the criterion's sense.
"""

from __future__ import annotations

from collections.abc import Iterable

# Epoch task -> the output the criterion counts ("text" includes code, "audio" speech).
_TASK_OUTPUTS: dict[str, str] = {
    "language modeling/generation": "text",
    "language modeling": "text",
    "language generation": "text",
    "japanese language modeling": "text",
    "chat": "text",
    "code generation": "text",
    "code autocompletion": "text",
    "text autocompletion": "text",
    "question answering": "text",
    "translation": "text",
    "text summarization": "text",
    "instruction interpretation": "text",
    "retrieval-augmented generation": "text",
    "visual question answering": "text",
    "image captioning": "text",
    "video description": "text",
    "vision-language generation": "text",
    "mathematical reasoning": "text",
    "quantitative reasoning": "text",
    "reasoning": "text",
    "speech synthesis": "audio",
    "text-to-speech (tts)": "audio",
    "speech-to-speech": "audio",
    "audio generation": "audio",
    "image generation": "image",
    "text-to-image": "image",
    "video generation": "video",
    "text-to-video": "video",
    "image-to-video": "video",
    "video-to-video": "video",
}
_GENERATIVE_DOMAINS = {"language": "text", "image generation": "image"}
_UNDECIDED_DOMAINS = {"multimodal", "video", "speech", "audio", "3d modeling"}


def _words(values: Iterable[str]) -> list[str]:
    return [v.strip().lower() for v in values if v and v.strip()]


def generates(domains: Iterable[str], tasks: Iterable[str]) -> tuple[bool | None, str]:
    """(True/False/None, the words that decided) for "it can generate language, images,
    audio or video"."""
    task_words = _words(tasks)
    domain_words = _words(domains)
    if task_words:
        outputs = sorted({_TASK_OUTPUTS[t] for t in task_words if t in _TASK_OUTPUTS})
        if outputs:
            return True, f"its tasks ({', '.join(task_words)}) generate {', '.join(outputs)}"
        return False, f"none of its tasks ({', '.join(task_words)}) generates content"
    if not domain_words:
        return None, "its domain and tasks are unknown"
    outputs = sorted({_GENERATIVE_DOMAINS[d] for d in domain_words if d in _GENERATIVE_DOMAINS})
    if outputs:
        return True, f"its domain ({', '.join(domain_words)}) generates {', '.join(outputs)}"
    undecided = [d for d in domain_words if d in _UNDECIDED_DOMAINS]
    if undecided:
        return None, (
            f"its domain ({', '.join(domain_words)}) does not tell whether it generates "
            "content, and its tasks are unknown"
        )
    return False, f"its domain ({', '.join(domain_words)}) does not generate content"
