"""Regenerates this folder (run by hand, never by the tests): a tiny random CLIPModel saved by
transformers, a random aesthetic head in ddpo-pytorch's MLP layout, and the outputs of
ddpo-pytorch's aesthetic pipeline on two images.

    python3 make_fixture.py   # torch, transformers (with the Pillow image processor), safetensors
"""
import json
import torch
from safetensors.torch import save_file
from transformers import CLIPConfig, CLIPModel
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

torch.manual_seed(0)
config = CLIPConfig(
    text_config=dict(vocab_size=99, hidden_size=12, intermediate_size=20, num_hidden_layers=1,
                     num_attention_heads=2, max_position_embeddings=16),
    vision_config=dict(image_size=32, patch_size=8, hidden_size=16, intermediate_size=24,
                       num_hidden_layers=2, num_attention_heads=2, hidden_act="quick_gelu"),
    projection_dim=8,
)
model = CLIPModel(config).eval()
with torch.no_grad():  # the default init leaves biases and norms at 0/1: randomize every tensor
    for p in model.parameters():
        p.copy_(torch.randn_like(p) * 0.3)
model.save_pretrained(".", safe_serialization=True)


class MLP(torch.nn.Module):  # ddpo_pytorch/aesthetic_scorer.py, with d = projection_dim
    def __init__(self, d):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(d, 1024), torch.nn.Dropout(0.2), torch.nn.Linear(1024, 128), torch.nn.Dropout(0.2),
            torch.nn.Linear(128, 64), torch.nn.Dropout(0.1), torch.nn.Linear(64, 16), torch.nn.Linear(16, 1))

    def forward(self, x):
        return self.layers(x)


mlp = MLP(8).eval()
with torch.no_grad():  # stored as float16; compute with exactly the stored values
    for p in mlp.parameters():
        p.copy_((torch.randn_like(p) * 0.2).half().float())
save_file({k: v.half().contiguous() for k, v in mlp.state_dict().items()}, "aesthetic_mlp.safetensors")

images = torch.rand(2, 3, 40, 56)
images[0, :, 0, :4] = torch.tensor([0.5, 2.5 / 255, 1.0, 0.0])  # ties and ends of the uint8 rounding
with torch.no_grad():
    u8 = (images * 255).round().clamp(0, 255).to(torch.uint8)  # ddpo_pytorch/rewards.py aesthetic_score
    processor = CLIPImageProcessorPil(size=32, crop_size=32)
    pixels = processor(images=u8, return_tensors="pt")["pixel_values"]
    embeds = model.get_image_features(pixel_values=pixels)
    if not torch.is_tensor(embeds):
        embeds = embeds.pooler_output
    normed = embeds / torch.linalg.vector_norm(embeds, dim=-1, keepdim=True)
    scores = mlp(normed).squeeze(1)
save_file({"images": images.contiguous(), "pixel_values": pixels.contiguous(), "image_embeds": embeds.contiguous(),
           "scores": scores.contiguous()}, "reference.safetensors")
print(json.dumps({"scores": scores.tolist()}))
