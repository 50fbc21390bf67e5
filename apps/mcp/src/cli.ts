console.error("switchyard-mcp: not built yet");
