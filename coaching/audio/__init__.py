"""Audio in: decoding a recording once into arrays, voice activity, levels, bleeped copies."""

from coaching.audio.decode import SAMPLE_RATE, AudioSource, CallAudio, load_audio

__all__ = ["SAMPLE_RATE", "AudioSource", "CallAudio", "load_audio"]
