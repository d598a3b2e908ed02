import { createRoot } from 'react-dom/client';
import { Button, Heading, SuomifiThemeProvider } from 'suomifi-ui-components';
createRoot(document.getElementById('root')!).render(<SuomifiThemeProvider><Heading variant="h1">Hei</Heading><Button>Paina</Button></SuomifiThemeProvider>);
