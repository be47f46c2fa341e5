FROM python:3.10-slim
WORKDIR /app
COPY requirements.txt requirements-dev.txt constraints.txt pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e . && pybabel compile -d locales -D messages
ENV AMPARO_MODEL_DIR=/models \
    RASA_TELEMETRY_ENABLED=false
CMD ["sh", "-c", "amparo train && exec amparo run"]
